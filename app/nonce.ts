// The CSP nonce of the current request, for Remix's inline scripts. Empty in the browser, where the
// scripts have already run.
import { createContext, useContext } from 'react';

export const NonceContext = createContext<string>('');
export const useNonce = () => useContext(NonceContext);
