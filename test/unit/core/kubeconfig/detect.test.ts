import assert from 'node:assert/strict';
import { isKubeconfigText } from '../../../../src/core/kubeconfig/detect';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster:
    server: https://127.0.0.1:6443
users: []
contexts: []
current-context: ""
`;

describe('isKubeconfigText', () => {
  const cases: [string, string, string, boolean][] = [
    ['kind: Config in any file', KUBECONFIG, '/work/anything.yaml', true],
    [
      'kind decides wherever it is',
      'clusters: []\nusers: []\ncontexts: []\nkind: Pod\n',
      '/home/me/.kube/config',
      false,
    ],
    ['the first kind decides', 'kind: Config\nkind: Pod\n', 'x.yaml', true],
    ['a lone CR ends no line', 'apiVersion: v1\nkind: Config\r', 'x.yaml', false],
    ['kind: Config quoted, with a comment', 'apiVersion: "v1"\nkind: "Config" # kubeconfig\n', 'x.txt', true],
    ['CRLF and BOM', '\uFEFF' + KUBECONFIG.replace(/\n/g, '\r\n'), 'x', true],
    ['apiVersion v1 + clusters without kind', 'apiVersion: v1\nclusters: []\n', '/tmp/k.yml', true],
    [
      'clusters, users, contexts without header',
      'clusters: []\nusers: []\ncontexts: []\n',
      '/tmp/k.yml',
      true,
    ],
    ['JSON kubeconfig', '{"apiVersion":"v1","kind":"Config","clusters":[]}', '/tmp/k.json', true],
    ['empty *.kubeconfig', '', '/home/me/dev.kubeconfig', true],
    ['~/.kube/config', 'current-context: a\n', '/home/me/.kube/config', true],
    ['Windows ~/.kube/config', '', 'C:\\Users\\me\\.kube\\config', true],
    ['kubeadm admin.conf', '', '/etc/kubernetes/admin.conf', true],
    ['bootstrap-kubelet.conf', 'users: []\n', '/etc/kubernetes/bootstrap-kubelet.conf', true],
    ['*.conf with kubeconfig keys', 'clusters:\n- name: a\nusers: []\n', '/srv/cluster.conf', true],
    ['other *.conf', 'worker_processes 1;\nevents {}\n', '/etc/nginx/nginx.conf', false],
    ['*.conf with only a clusters key', 'clusters: 3\n', '/srv/app.conf', false],
    ['a Pod manifest', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n', '/k/pod.yaml', false],
    ['a Pod manifest named like a kubeconfig', 'apiVersion: v1\nkind: Pod\n', '/k/admin.conf', false],
    ['nested kind: Config is not top level', 'data:\n  kind: Config\n', '/k/cm.yaml', false],
    ['config outside .kube', 'clusters: []\n', '/repo/config', false],
    ['kind in JSON of another type', '{"kind":"Pod","clusters":[]}', '/k/x.json', false],
    ['plain text', 'hello\n', '/tmp/notes.txt', false],
  ];
  for (const [name, text, file, expected] of cases) {
    it(`${expected ? 'accepts' : 'rejects'} ${name}`, () => {
      assert.equal(isKubeconfigText(text, file), expected);
    });
  }
});
