/** The four published basecallers edgecall deploys, with the NodePort and Ingress path of each. */
export const MODELS = ["sacall", "catcaller", "chiron", "rodan"] as const;
export type ModelName = (typeof MODELS)[number];

/** Board kinds edgecall supports; each maps to the JetPack (L4T) releases it accepts. */
export const BOARDS = ["nano", "xavier", "orin"] as const;
export type BoardKind = (typeof BOARDS)[number];
