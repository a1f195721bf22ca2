// The form's look, shared by the hosted page and the embed snippet. Every rule is scoped under
// .sg-form so that an embedding site's own styles are left alone.
export const FORM_STYLE = `
.sg-form{font:inherit;color:inherit;max-width:36rem}
.sg-form *,.sg-form *::before,.sg-form *::after{box-sizing:border-box}
.sg-form .sg-field{margin:0 0 1rem}
.sg-form .sg-label{display:block;font-weight:600;margin:0 0 .25rem}
.sg-form .sg-req{color:#c0262d}
.sg-form .sg-input{display:block;width:100%;font:inherit;font-size:16px;padding:.65rem .75rem;border:1px solid #b8bec8;border-radius:8px;background:#fff;color:#1d2129}
.sg-form textarea.sg-input{min-height:6rem;resize:vertical}
.sg-form .sg-input:focus{outline:2px solid #1c5fd4;outline-offset:1px;border-color:#1c5fd4}
.sg-form .sg-input[aria-invalid=true]{border-color:#c0262d}
.sg-form .sg-error{color:#c0262d;font-size:.875rem;margin:.25rem 0 0}
.sg-form .sg-error:empty{display:none}
.sg-form .sg-summary{background:#fdecec;color:#8a1c21;border-radius:8px;padding:.75rem;margin:0 0 1rem}
.sg-form .sg-summary:empty{display:none}
.sg-form .sg-consents{border:0;padding:0;margin:1.25rem 0 1rem}
.sg-form .sg-legend{font-weight:600;padding:0;margin:0 0 .5rem}
.sg-form .sg-consent{display:grid;grid-template-columns:auto 1fr;column-gap:.6rem;margin:0 0 .85rem;font-size:.9375rem}
.sg-form .sg-consent input[type=checkbox]{width:1.25rem;height:1.25rem;margin:.15rem 0 0}
.sg-form .sg-consent>*:not(input){grid-column:2}
.sg-form .sg-consent p{margin:.2rem 0 0}
.sg-form .sg-note{color:#5c6370;font-size:.8125rem}
.sg-form .sg-policy{font-size:.875rem;margin:.25rem 0 0}
.sg-form .sg-submit{display:block;width:100%;font:inherit;font-weight:600;padding:.8rem 1rem;border:0;border-radius:8px;background:#1c5fd4;color:#fff;cursor:pointer}
.sg-form .sg-submit:disabled{opacity:.6;cursor:progress}
.sg-form .sg-hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.sg-form .sg-operator{color:#5c6370;font-size:.8125rem;margin:1rem 0 0}
.sg-thanks h2{font-size:1.25rem;margin:0 0 .5rem}
`;
