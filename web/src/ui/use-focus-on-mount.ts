import { type RefObject, useEffect, useRef } from 'react';

/** Puts the caret in the first field of a page's form when the page opens. */
export function useFocusOnMount<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
