/** Default pixel budget: 40 MP is a large phone photo; beyond that a request is more likely an attack than a picture. */
export const DEFAULT_MAX_PIXELS = 40_000_000;
