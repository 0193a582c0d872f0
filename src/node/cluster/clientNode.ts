// The parts of @kubernetes/client-node kubecerts calls, named one by one: its bundle
// (dist/kubernetes-client.js, LAZY_CHUNKS in esbuild.js) then leaves out the API groups and models
// nobody uses (750 KB minified instead of 4 MB).
import { CertificatesV1Api, KubeConfig, Watch } from '@kubernetes/client-node';

export const clientNode = { CertificatesV1Api, KubeConfig, Watch };

export type ClientNode = typeof clientNode;
