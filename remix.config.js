// Remix options, read by vite.config.ts (the Vite plugin takes them; there is no separate Remix CLI config).
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  appDirectory: 'app',
  buildDirectory: 'build',
  serverModuleFormat: 'esm',
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off: with a couple of dozen routes the full manifest is small, and computing a partial one
    // on every request cost about a tenth of a page's server time (measured with npm run bench).
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: true,
  },
};
