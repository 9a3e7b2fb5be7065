import type { LoginProfile } from '../common/profile.ts';

/** A registered site: an origin plus a login profile. */
export interface Site {
  /** Stable slug, unique among sites. */
  id: string;
  name: string;
  /** Normalised origin, e.g. `https://studio.example.com` or `http://studio.localhost:8080`. */
  url: string;
  default: boolean;
  profile: LoginProfile;
}
