import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/base.css';
import 'katex/dist/katex.min.css';
import './styles/app.css';
import { App } from './App';
import { defaultClient } from './api/client';

const client = defaultClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
