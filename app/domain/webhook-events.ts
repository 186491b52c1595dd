// The events a webhook can subscribe to: one list for the outbox (server) and the admin form (browser).
export const WEBHOOK_EVENTS = ['certification.granted', 'certification.revoked', 'certification.expired', 'certification.reinstated'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
