import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectBridge } from './bridge/connect.ts';
import { App } from './components/app.tsx';
import { NotConnected } from './components/not-connected.tsx';

const container = document.getElementById('root');
if (container === null) throw new Error('The page has no #root element.');
const bridge = connectBridge();
createRoot(container).render(<StrictMode>{bridge === null ? <NotConnected /> : <App bridge={bridge} />}</StrictMode>);
