/** Where the next page starts: the store's own position, signed into a cursor by the API. */
export type PagePosition = Record<string, string>;

export interface PageRequest {
  limit: number;
  after?: PagePosition;
}

export interface Page<T> {
  items: T[];
  next: PagePosition | null;
}
