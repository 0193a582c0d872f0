// The cluster's Node objects: one control-plane node serving the API, and workers whose kubelets
// request certificates. Approvers compare kubelet-serving SANs with these addresses.
import type { KubeNode, NodeAddress } from './types';
import { rfc3339 } from './store';

export interface NodeSpec {
  readonly name: string;
  readonly internalIp: string;
  readonly controlPlane?: boolean;
}

export const CONTROL_PLANE_NODE = 'cp-1';

export const NODE_SPECS: readonly NodeSpec[] = [
  { name: CONTROL_PLANE_NODE, internalIp: '127.0.0.1', controlPlane: true },
  { name: 'node-1', internalIp: '10.0.0.11' },
  { name: 'node-2', internalIp: '10.0.0.12' },
  { name: 'node-3', internalIp: '10.0.0.13' },
];

export const KUBELET_VERSION = 'v1.32.4';

export function buildNodes(createdAt: Date): KubeNode[] {
  const timestamp = rfc3339(createdAt);
  return NODE_SPECS.map((spec, i) => {
    const addresses: NodeAddress[] = [
      { type: 'InternalIP', address: spec.internalIp },
      { type: 'Hostname', address: spec.name },
    ];
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: spec.name,
        uid: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        resourceVersion: '1',
        creationTimestamp: timestamp,
        labels: {
          'kubernetes.io/hostname': spec.name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          ...(spec.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        },
      },
      spec: {},
      status: {
        addresses,
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: timestamp,
            lastTransitionTime: timestamp,
          },
        ],
        nodeInfo: {
          kubeletVersion: KUBELET_VERSION,
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          architecture: 'amd64',
          operatingSystem: 'linux',
          containerRuntimeVersion: 'containerd://1.7.24',
        },
      },
    };
  });
}
