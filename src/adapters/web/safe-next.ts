/**
 * Where to go after signing in, from `?next=`: only one of PayMe's own pages, never another site
 * (`//evil.example`, `https://…`), so that a link cannot turn the sign-in page into an open redirect.
 */
export function safeNext(raw: string | undefined): string | null {
  if (raw === undefined || raw.length > 500) {
    return null;
  }
  const ownPage = /^\/(dashboard|setup\/payment-method)(?:[/?#][A-Za-z0-9\-._~%/?=&#]*)?$/;
  return ownPage.test(raw) ? raw : null;
}
