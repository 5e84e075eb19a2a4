/** `stopword` ships no types: the one list this worker reads. */
declare module "stopword" {
  /** English stopwords, lower case. */
  export const eng: string[];
}
