/** Who is calling, as the userinfo endpoint vouched for it. Never holds the token. */
export interface AuthenticatedUser {
  userId: string;
  clientId: string;
  email?: string;
  name?: string;
}
