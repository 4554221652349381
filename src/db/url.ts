/** Whether a DATABASE_URL names a Postgres database (anything else is SQLite: `:memory:` or `file:<path>`). */
export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}
