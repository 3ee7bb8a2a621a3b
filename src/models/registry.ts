import { consul } from './consul/index.js';
import { etcd } from './etcd/index.js';
import { eureka } from './eureka/index.js';
import { kubernetes } from './kubernetes/index.js';
import type { ModelDefinition } from './model.js';
import { nacosV1 } from './nacos-v1/index.js';
import { nacosV2 } from './nacos-v2/index.js';
import { zookeeper } from './zookeeper/index.js';

/** Every model livesim knows; adding a registry is adding its folder and one line here. */
export const MODELS: readonly ModelDefinition[] = [nacosV1, nacosV2, eureka, zookeeper, consul, etcd, kubernetes];

export const findModel = (id: string): ModelDefinition | undefined => MODELS.find((m) => m.id === id);
