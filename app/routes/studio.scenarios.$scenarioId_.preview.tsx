import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { FormAlert } from '~/components/forms';
import { CaseFile } from '~/components/quiz/case-file';
import { ItemFields } from '~/components/quiz/item-fields';
import { ItemReview } from '~/components/quiz/item-review';
import { ConversationMap } from '~/components/studio/conversation-map';
import { choose, formatPath, idealReview, parsePath } from '~/components/studio/preview';
import { validateScenario } from '~/content/scenario-checks';
import type { ScenarioFile } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { presentItemToLearner, toPublicCaseFile } from '~/domain/presentation';
import { sectionLinks } from '~/models/handbook.server';
import { draftBody, getScenario, handbookSectionRefs, versionBody } from '~/models/studio.server';

/** One fixed seed: the same option order on every visit, like one learner's attempt. */
const SEED = 20261124;

async function scenarioToShow(scenarioId: string, url: URL, currentVersion: number | null) {
  const asked = url.searchParams.get('version');
  if (asked !== null) {
    const version = Number(asked);
    const body = Number.isInteger(version) ? await versionBody(db(), { scenarioId, version }) : null;
    if (!body) throw new Response('No such version', { status: 404 });
    return { body, label: `version ${version}`, notice: null };
  }
  const draft = await draftBody(db(), { scenarioId });
  if (draft !== null) {
    const checked = validateScenario({ ...(draft as object), id: scenarioId }, await handbookSectionRefs(db()));
    if (checked.ok) return { body: checked.scenario, label: 'the unpublished draft', notice: null };
    const notice = 'The draft has problems to fix before it can be shown as a learner sees it.';
    if (currentVersion === null) return { body: null, label: 'the draft', notice };
    return { body: await versionBody(db(), { scenarioId, version: currentVersion }), label: `version ${currentVersion}`, notice: `${notice} Showing the published version ${currentVersion} instead.` };
  }
  if (currentVersion === null) return { body: null, label: '', notice: 'Nothing to show yet.' };
  return { body: await versionBody(db(), { scenarioId, version: currentVersion }), label: `version ${currentVersion}`, notice: null };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const scenario = await getScenario(db(), { scenarioId: params.scenarioId ?? '' });
  if (!scenario) throw new Response('No such scenario', { status: 404 });
  const url = new URL(request.url);
  const showAnswers = url.searchParams.get('answers') === '1';
  const shown = await scenarioToShow(scenario.id, url, scenario.version);
  const header = { scenarioId: scenario.id, title: scenario.title, label: shown.label, notice: shown.notice, showAnswers, version: url.searchParams.get('version') };
  if (!shown.body) return { ...header, view: null };
  const body: ScenarioFile = shown.body;
  const refs = [...body.policies, ...body.items.flatMap((i) => i.policies)];
  const view = {
    caseFile: toPublicCaseFile(body),
    policyLinks: await sectionLinks(db(), refs),
    // Each conversation's place, carried in the URL (walk.<item id>) as the trainer tries it.
    walks: {} as Record<string, string>,
    items: body.items.map((item) => presentItemToLearner(item, SEED)),
    reviews: showAnswers ? body.items.map((item) => idealReview(item, SEED)) : [],
    conversations: showAnswers ? body.items.filter((i) => i.type === 'branching') : [],
  };
  body.items.forEach((item, index) => {
    if (item.type !== 'branching') return;
    const path = choose(item, SEED, parsePath(item, url.searchParams.get(`walk.${item.id}`)), url.searchParams.get(`item.${item.id}.choice`));
    view.walks[item.id] = formatPath(path);
    view.items[index] = presentItemToLearner(item, SEED, { path });
  });
  return { ...header, view };
}

export default function ScenarioPreview() {
  const { scenarioId, title, label, notice, showAnswers, view, version } = useLoaderData<typeof loader>();
  const base = `/studio/scenarios/${scenarioId}/preview`;
  const withParams = (answers: boolean) => {
    const params = new URLSearchParams();
    if (version) params.set('version', version);
    if (answers) params.set('answers', '1');
    return params.size ? `${base}?${params}` : base;
  };
  return (
    <div className="mx-auto max-w-4xl space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/studio/scenarios">Scenarios</Link> / <Link to={`/studio/scenarios/${scenarioId}`}>{title}</Link> / Preview
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-3 rounded border-l-4 border-brand-600 bg-brand-50 p-3">
        <p>
          Preview of {label || 'the scenario'}, as a learner sees it{showAnswers ? ', with the answers and feedback' : ''}.
        </p>
        <Link to={withParams(!showAnswers)} className="font-semibold">{showAnswers ? 'Hide answers' : 'Show answers and feedback'}</Link>
      </div>
      {notice ? <FormAlert>{notice} <Link to={`/studio/scenarios/${scenarioId}/edit`}>Open the editor</Link></FormAlert> : null}
      {view ? (
        <>
          <h2 className="text-2xl font-bold">{view.caseFile.title}</h2>
          <p className="text-slate-700">{view.caseFile.summary}</p>
          <CaseFile caseFile={view.caseFile} policyLinks={view.policyLinks} />
          {showAnswers ? (
            <div className="space-y-4">
              {view.reviews.map((review, index) => (
                <ItemReview key={review.id} review={review} index={index} policyHref={(ref) => view.policyLinks.find((p) => p.ref === ref)?.href ?? null} />
              ))}
              {view.conversations.map((item) => (item.type === 'branching' ? <ConversationMap key={item.id} item={item} /> : null))}
            </div>
          ) : (
            // A GET form: trying a conversation moves the preview on without saving anything.
            <Form method="get" className="space-y-4" preventScrollReset>
              {version ? <input type="hidden" name="version" value={version} /> : null}
              {Object.entries(view.walks).map(([itemId, path]) => (
                <input key={itemId} type="hidden" name={`walk.${itemId}`} value={path} />
              ))}
              {view.items.map((item, index) => (
                <ItemFields key={item.id} item={item} index={index} response={null} />
              ))}
              <p className="text-sm text-slate-700">Answers given here are not saved. <Link to={withParams(false)}>Start again</Link></p>
            </Form>
          )}
        </>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Preview: ${data?.title ?? 'Scenario'} · Studio · Frontline` }];
