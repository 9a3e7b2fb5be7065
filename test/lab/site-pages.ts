import { escapeHtml, htmlPage } from './html.ts';

/** The site's front page. */
export function homePage(): string {
  return htmlPage('Lab Studio', '<h1>Lab Studio</h1>\n<p>A ShotGrid-like site of the Latchkey SSO lab. <a href="/auth/renew?product=browser">Sign in</a></p>');
}

/** Where a finished login lands (ShotGrid's `/auth/landing`). */
export function landingPage(): string {
  return htmlPage('Signed in · Lab Studio', '<h1>Signed in</h1>\n<p id="landed">You are signed in to Lab Studio. You can close this window.</p>');
}

/**
 * One of two pages that replace each other forever: each load commits a new document, so a
 * client watching committed navigations sees an endless loop that never lands. The short delay
 * keeps the loop below Chromium's navigation flood throttling, so the loop stays a loop of commits.
 */
export function pageLoopPage(next: string): string {
  const script = `setTimeout(function () { location.replace(${JSON.stringify(next)}); }, 100);`;
  return htmlPage('Redirecting · Lab Studio', '<p>Redirecting…</p>', `<script>${script}</script>\n`);
}

/** A page that says it is redirecting and never does. */
export function neverLandsPage(): string {
  return htmlPage('Please wait · Lab Studio', '<p id="waiting">Contacting your identity provider…</p>');
}

/** A plain error page. */
export function siteErrorPage(title: string, detail: string): string {
  return htmlPage(`${title} · Lab Studio`, `<h1>${escapeHtml(title)}</h1>\n<p id="error">${escapeHtml(detail)}</p>`);
}

/**
 * The page of an app session request (`/app_session_request/<id>`): which tool on which machine
 * asks for a session, and two buttons (`#approve`, `#deny`) posting to `<path>/approve` and `<path>/deny`.
 */
export function appSessionRequestPage(path: string, appName: string, machineId: string): string {
  const button = (action: 'approve' | 'deny', label: string): string =>
    `<form method="post" action="${escapeHtml(`${path}/${action}`)}"><button id="${action}" type="submit">${label}</button></form>`;
  return htmlPage('Approve sign-in · Lab Studio', `<h1>Sign in a desktop app?</h1>
<p id="request"><strong id="app-name">${escapeHtml(appName)}</strong> on <strong id="machine-id">${escapeHtml(machineId)}</strong> asks to sign in to Lab Studio as you.</p>
${button('approve', 'Approve')}
${button('deny', 'Deny')}`);
}

/** What the person sees after answering an app session request. */
export function appSessionAnswerPage(answer: 'approved' | 'denied'): string {
  const text = answer === 'approved' ? 'Approved. You may close this tab.' : 'Denied.';
  return htmlPage(`${answer === 'approved' ? 'Approved' : 'Denied'} · Lab Studio`, `<p id="answer">${text}</p>`);
}
