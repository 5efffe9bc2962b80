import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The usual React + Vite config: nothing resnet-edge specific.
export default defineConfig({ plugins: [react()] });
