// UI tests written ahead of the feature they check. The runner still runs them: a failure is
// reported as "awaiting <feature>" and does not fail the run; a pass fails the run until the
// entry is removed here, so a landed feature is guarded from then on. Keys are mocha full titles.
// Empty while every UI test's feature has landed; add `'<full title>': '<feature (issue N)>'`.
export const AWAITING_FEATURES: Readonly<Record<string, string>> = {};
