/** Default pixel budget: 48 MP covers the largest phone photos (decoding to size keeps memory bounded by the model input, not this). */
export const DEFAULT_MAX_PIXELS = 48_000_000;
