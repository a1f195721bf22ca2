import { Badge, createTheme, MantineProvider } from '@mantine/core';
import { I18nProvider } from '../i18n/i18n-context.tsx';
import { AuthProvider } from './auth-context.tsx';
import { AppRouter } from './router.tsx';

const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '600' },
  // A visible focus ring for keyboard users on every control (not on mouse clicks).
  focusRing: 'auto',
  components: {
    // A status in a narrow table column is shown whole rather than cut to "Действу…".
    Badge: Badge.extend({ styles: { root: { minWidth: 'max-content' } } }),
  },
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <I18nProvider>
        <AuthProvider>
          <AppRouter />
        </AuthProvider>
      </I18nProvider>
    </MantineProvider>
  );
}
