/** The English messages must have exactly the keys of the Swedish ones: tsc checks it. */
export type MessageShape<T> = { readonly [K in keyof T]: T[K] extends string ? string : MessageShape<T[K]> };
