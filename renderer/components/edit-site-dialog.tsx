import { useRef, useState, type ReactNode } from 'react';
import type { BridgeResult, ProfilePatch } from '../../core/common/operations.ts';
import type { LoginBrowser } from '../../core/common/profile.ts';
import type { SiteView } from '../../core/common/views.ts';
import { fieldOfError, type UiError } from '../state/field-errors.ts';
import { browserChoice } from '../state/login-browsers.ts';
import { BrowserField } from './browser-field.tsx';
import { Field, TextInput } from './form-field.tsx';
import { ModalDialog } from './modal-dialog.tsx';
import { RichText } from './rich-text.tsx';

/** What the edit dialog changes: the name, and the profile's browser when the person chose another. */
export interface SiteEdit {
  name: string;
  profile?: ProfilePatch;
}

/** Renames a site and, where its mode offers a choice, changes how it logs in; the agent's validation errors are shown next to the field. */
export function EditSiteDialog(props: {
  site: SiteView;
  onSave: (edit: SiteEdit) => Promise<BridgeResult<SiteView>>;
  onDismiss: () => void;
}): ReactNode {
  const { site } = props;
  const input = useRef<HTMLInputElement>(null);
  const browserSelect = useRef<HTMLSelectElement>(null);
  const browsers = browserChoice(site.profile);
  const [name, setName] = useState(site.name);
  const [browser, setBrowser] = useState<LoginBrowser>(browsers.current);
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  const field = error === null ? null : fieldOfError(error);
  const nameError = field === 'name' ? error : null;
  const browserError = field === 'browser' && browsers.offered.length > 1 ? error : null;

  const submit = async (): Promise<void> => {
    setBusy(true);
    // Sent only when changed: the browser is a capture field, and changing it ends the site's session.
    const result = await props.onSave({ name, ...(browser === browsers.current ? {} : { profile: { browser } }) });
    setBusy(false);
    if (result.ok) return;
    setError(result.error);
    (fieldOfError(result.error) === 'browser' && browsers.offered.length > 1 ? browserSelect : input).current?.focus();
  };

  return (
    <ModalDialog title={`Edit ${site.name}`} onDismiss={props.onDismiss} initialFocus={input}>
      <form
        className="dialog-body"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <p className="muted">{site.url}</p>
        <Field id="edit-site-name" label="Name" error={nameError}>
          {(control) => <TextInput control={control} value={name} onChange={setName} inputRef={input} />}
        </Field>
        <BrowserField
          id="edit-site-browser"
          offered={browsers.offered}
          value={browser}
          onChange={setBrowser}
          description="Where you finish the login. Changing it ends the site's session: you log in again."
          error={browserError}
          selectRef={browserSelect}
        />
        {error !== null && nameError === null && browserError === null ? (
          <p className="form-error" role="alert">
            <RichText text={error.message} />
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onDismiss} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
