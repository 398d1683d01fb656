import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Unmount what each test rendered, so its hooks release the connection before the servers stop.
afterEach(() => cleanup());
