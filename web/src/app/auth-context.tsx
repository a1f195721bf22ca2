import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { Locale } from '../i18n/locale.ts';
import { api, isApiError, onUnauthenticated, rememberCsrfToken } from './api-client.ts';
import type { Me, Permission, SetupStatus } from './api-types.ts';

export type AuthState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'needs-setup' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: Me };

export type Auth = {
  state: AuthState;
  /** Called with the Me body returned by login, setup, switch-org or PATCH /me. */
  acceptMe: (me: Me) => void;
  signOut: () => Promise<void>;
  reload: () => void;
  /** Sends the language to the server for the signed-in user; no-op when signed out. */
  saveLocale: (locale: Locale) => Promise<void>;
};

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const i18n = useI18n();
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  // Read inside callbacks without making them change on every language switch.
  const i18nRef = useRef(i18n);
  useEffect(() => {
    i18nRef.current = i18n;
  });

  // A late answer (e.g. PATCH /me) must not sign back in a user who has just signed out.
  const refreshMe = useCallback((me: Me) => {
    setState((current) =>
      current.status === 'signed-in' && current.me.user.id === me.user.id
        ? { status: 'signed-in', me }
        : current,
    );
  }, []);

  const saveLocale = useCallback(
    async (locale: Locale) => {
      if (state.status !== 'signed-in' || state.me.user.locale === locale) {
        return;
      }
      refreshMe(await api.patch<Me>('/api/v1/me', { locale }));
    },
    [state, refreshMe],
  );

  const acceptMe = useCallback(
    (me: Me) => {
      rememberCsrfToken(me.csrfToken);
      setState({ status: 'signed-in', me });
      const { locale, hasStoredLocale, adoptLocale } = i18nRef.current;
      if (me.user.locale === locale) {
        return;
      }
      if (hasStoredLocale) {
        // The language chosen in this browser wins; remember it for the account too.
        api
          .patch<Me>('/api/v1/me', { locale })
          .then(refreshMe)
          .catch(() => {
            // Not critical: the interface already shows the chosen language.
          });
      } else {
        adoptLocale(me.user.locale);
      }
    },
    [refreshMe],
  );

  const load = useCallback(async () => {
    setState({ status: 'loading' });
    try {
      const setup = await api.get<SetupStatus>('/api/v1/setup');
      if (setup.needsSetup) {
        setState({ status: 'needs-setup' });
        return;
      }
      try {
        acceptMe(await api.get<Me>('/api/v1/me'));
      } catch (error) {
        if (isApiError(error) && error.code === 'unauthenticated') {
          rememberCsrfToken(null);
          setState({ status: 'signed-out' });
          return;
        }
        throw error;
      }
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, [acceptMe]);

  const signOut = useCallback(async () => {
    try {
      await api.post<void>('/api/v1/auth/logout');
    } catch {
      // The session may already be gone; the user is signed out here either way.
    }
    rememberCsrfToken(null);
    setState({ status: 'signed-out' });
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    onUnauthenticated(() => {
      rememberCsrfToken(null);
      setState((current) => (current.status === 'signed-in' ? { status: 'signed-out' } : current));
    });
    return () => onUnauthenticated(null);
  }, []);

  const value = useMemo<Auth>(
    () => ({ state, acceptMe, signOut, reload: () => void load(), saveLocale }),
    [state, acceptMe, signOut, load, saveLocale],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const context = useContext(AuthContext);
  if (!context) {
    throw new Error('useAuth must be used inside AuthProvider');
  }
  return context;
}

/** The signed-in user's Me; only for components rendered inside the signed-in shell. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'signed-in') {
    throw new Error('useMe must be used inside the signed-in shell');
  }
  return state.me;
}

export function hasPermission(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission);
}
