import { useRef, useState, type ReactNode } from 'react';
import type { BridgeResult } from '../../core/common/operations.ts';
import type { SiteView } from '../../core/common/views.ts';
import { fieldOfError, type UiError } from '../state/field-errors.ts';
import { Field, TextInput } from './form-field.tsx';
import { ModalDialog } from './modal-dialog.tsx';
import { RichText } from './rich-text.tsx';

/** Renames a site; the agent's validation error is shown next to the name. */
export function EditSiteDialog(props: {
  site: SiteView;
  onSave: (name: string) => Promise<BridgeResult<SiteView>>;
  onDismiss: () => void;
}): ReactNode {
  const { site } = props;
  const input = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(site.name);
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = error !== null && fieldOfError(error) === 'name' ? error : null;

  const submit = async (): Promise<void> => {
    setBusy(true);
    const result = await props.onSave(name);
    setBusy(false);
    if (result.ok) return;
    setError(result.error);
    input.current?.focus();
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
        <Field id="edit-site-name" label="Name" error={fieldError}>
          {(control) => <TextInput control={control} value={name} onChange={setName} inputRef={input} />}
        </Field>
        {error !== null && fieldError === null ? (
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
