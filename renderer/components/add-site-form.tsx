import { useRef, useState, type ReactNode, type RefObject } from 'react';
import type { BridgeResult, OperationRequests } from '../../core/common/operations.ts';
import { defaultPreset, presetList } from '../../core/common/presets.ts';
import type { LoginBrowser } from '../../core/common/profile.ts';
import type { SiteView } from '../../core/common/views.ts';
import { fieldOfError, type SiteField, type UiError } from '../state/field-errors.ts';
import { browserChoice } from '../state/login-browsers.ts';
import { BrowserField } from './browser-field.tsx';
import { Field, TextInput } from './form-field.tsx';
import { RichText } from './rich-text.tsx';

/**
 * The add-site form: URL, name and preset, how to log in where the preset's mode offers a choice,
 * and profile fields for the presets that need them.
 */
export function AddSiteForm({ onAdd }: { onAdd: (request: OperationRequests['addSite']) => Promise<BridgeResult<SiteView>> }): ReactNode {
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [preset, setPreset] = useState(defaultPreset);
  // Null: the preset's own; a choice is kept only for the preset it was made for.
  const [browser, setBrowser] = useState<LoginBrowser | null>(null);
  const [profile, setProfile] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  const urlInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const presetSelect = useRef<HTMLSelectElement>(null);
  const browserSelect = useRef<HTMLSelectElement>(null);
  const profileInput = useRef<HTMLTextAreaElement>(null);
  const refs: Record<SiteField, RefObject<HTMLElement | null>> = { url: urlInput, name: nameInput, preset: presetSelect, browser: browserSelect, profile: profileInput };
  const details = useRef<HTMLDetailsElement>(null);
  const chosen = presetList.find((choice) => choice.name === preset);
  const browsers = chosen === undefined ? null : browserChoice(chosen.profile);
  const offersBrowser = browsers !== null && browsers.offered.length > 1;
  // An error about the browser when no choice is shown came from the profile fields.
  const fieldOf = (failure: UiError): SiteField | null => {
    const named = fieldOfError(failure);
    return named === 'browser' && !offersBrowser ? 'profile' : named;
  };
  const field = error === null ? null : fieldOf(error);
  const errorFor = (which: SiteField): UiError | null => (field === which ? error : null);

  const fail = (failure: UiError): void => {
    setError(failure);
    const target = fieldOf(failure);
    if (target === 'profile' && details.current !== null) details.current.open = true;
    // After the error is rendered, so the control's description already includes it.
    requestAnimationFrame(() => (target === null ? document.getElementById('add-site-error') : refs[target].current)?.focus());
  };

  const submit = async (): Promise<void> => {
    let overrides: Record<string, unknown> | undefined;
    if (profile.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(profile);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError();
        overrides = parsed as Record<string, unknown>;
      } catch {
        fail({ code: 'bad_request', message: 'Field "profile": write the profile fields as a JSON object, e.g. {"issuer": "https://idp.example.com"}.' });
        return;
      }
    }
    // Sent only when it differs from the preset's own, so a site on the preset's way follows the preset.
    if (offersBrowser && browser !== null && browser !== browsers.current) overrides = { ...overrides, browser };
    setBusy(true);
    const result = await onAdd({ url, preset, ...(name.trim() === '' ? {} : { name }), ...(overrides === undefined ? {} : { profile: overrides }) });
    setBusy(false);
    if (!result.ok) {
      fail(result.error);
      return;
    }
    setError(null);
    setUrl('');
    setName('');
    setProfile('');
  };

  return (
    <form
      className="add-site"
      noValidate
      aria-describedby={error !== null && field === null ? 'add-site-error' : undefined}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Field id="site-url" label="Site URL" description="The address you log in at, e.g. https://studio.example.com." error={errorFor('url')}>
        {(control) => (
          <TextInput control={control} value={url} onChange={setUrl} inputRef={urlInput} inputMode="url" placeholder="https://" required />
        )}
      </Field>
      <Field id="site-name" label="Name" optional description="Shown in this list; the host when left empty." error={errorFor('name')}>
        {(control) => <TextInput control={control} value={name} onChange={setName} inputRef={nameInput} />}
      </Field>
      <Field id="site-preset" label="Login preset" description={chosen?.description} error={errorFor('preset')}>
        {(control) => (
          <select
            id={control.id}
            ref={presetSelect}
            className="input"
            value={preset}
            onChange={(event) => {
              setPreset(event.target.value);
              setBrowser(null);
            }}
            aria-describedby={control.describedBy}
            aria-invalid={control.invalid || undefined}
          >
            {presetList.map((choice) => (
              <option key={choice.name} value={choice.name}>
                {choice.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {browsers === null ? null : (
        <BrowserField
          id="site-browser"
          offered={browsers.offered}
          value={browser ?? browsers.current}
          onChange={setBrowser}
          description="Where you finish the login. A device code works on a machine without a desktop: you enter the code on another device."
          error={errorFor('browser')}
          selectRef={browserSelect}
        />
      )}
      <details className="advanced" ref={details}>
        <summary>Profile fields</summary>
        <Field id="site-profile" label="Profile fields (JSON)" optional description='Fields that differ from the preset, e.g. {"landingPath": "/home"}.' error={errorFor('profile')}>
          {(control) => (
            <textarea
              id={control.id}
              ref={profileInput}
              className="input textarea"
              rows={3}
              value={profile}
              onChange={(event) => setProfile(event.target.value)}
              aria-describedby={control.describedBy}
              aria-invalid={control.invalid || undefined}
              spellCheck={false}
            />
          )}
        </Field>
      </details>
      {error !== null && field === null ? (
        <p id="add-site-error" className="form-error" role="alert" tabIndex={-1}>
          <RichText text={error.message} />
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add site'}
        </button>
      </div>
    </form>
  );
}
