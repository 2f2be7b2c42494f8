/** The app: two routes, `/` and `/r/<roomId>`. */
import { useTranslation } from 'react-i18next';
import { useRoute } from './hooks/useRoute';
import { LandingPage } from './pages/LandingPage';
import { RoomPage } from './pages/RoomPage';

/** The root component. */
export function App() {
  const { route, navigate } = useRoute();
  const { t } = useTranslation();
  if (route.page === 'room') return <RoomPage key={route.roomId} roomId={route.roomId} />;
  if (route.page === 'landing') return <LandingPage navigate={navigate} />;
  return (
    <main className="prejoin prejoin--error">
      <div className="card">
        <h1 className="brand">Parley</h1>
        <p role="alert" className="message message--error">
          {t('notFound.message')}
        </p>
        <div className="card__actions">
          <a className="button button--primary" href="/">
            {t('notFound.home')}
          </a>
        </div>
      </div>
    </main>
  );
}
