import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { readSettings } from './settings.js';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App settings={readSettings(window.location, window.history, window.localStorage)} />
  </StrictMode>,
);
