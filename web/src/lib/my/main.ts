// The entry of /my's own build (vite.my.config.ts): the page mounted by Svelte alone, without
// SvelteKit's client or the console's shared code, so a subscriber's phone loads only what the
// page uses (issue 14: under 50 KB of JavaScript, gzip). ADR 0031.
import '../../app.css';
import { mount } from 'svelte';
import MyApp from './my-app.svelte';

mount(MyApp, { target: document.getElementById('my')! });
