// Field schemas for strict decoding: a misspelt field is an error, as with
// `kubectl apply --validate=strict` (the default since Kubernetes 1.27), and a wrong type is
// the JSON decoder's "cannot unmarshal" error.

export type Schema =
  | "string"
  | "int"
  | "bool"
  | "number"
  | "any"
  /** int or "N%" / named port */
  | "intstr"
  /** a resource quantity: number or string */
  | "quantity"
  | { obj: Record<string, Schema>; goType: string }
  | { arr: Schema }
  | { map: Schema };

const obj = (goType: string, fields: Record<string, Schema>): Schema => ({ obj: fields, goType });
const arr = (s: Schema): Schema => ({ arr: s });
const map = (s: Schema): Schema => ({ map: s });

const labelSelector = obj("LabelSelector", {
  matchLabels: map("string"),
  matchExpressions: arr(obj("LabelSelectorRequirement", { key: "string", operator: "string", values: arr("string") })),
});

const objectMeta = obj("ObjectMeta", {
  name: "string",
  generateName: "string",
  namespace: "string",
  uid: "string",
  resourceVersion: "string",
  generation: "int",
  creationTimestamp: "any",
  deletionTimestamp: "any",
  deletionGracePeriodSeconds: "int",
  labels: map("string"),
  annotations: map("string"),
  ownerReferences: arr("any"),
  finalizers: arr("string"),
  managedFields: "any",
});

const probe = obj("Probe", {
  exec: obj("ExecAction", { command: arr("string") }),
  httpGet: obj("HTTPGetAction", { path: "string", port: "intstr", host: "string", scheme: "string", httpHeaders: arr("any") }),
  tcpSocket: obj("TCPSocketAction", { port: "intstr", host: "string" }),
  grpc: "any",
  initialDelaySeconds: "int",
  periodSeconds: "int",
  timeoutSeconds: "int",
  failureThreshold: "int",
  successThreshold: "int",
  terminationGracePeriodSeconds: "int",
});

const container = obj("Container", {
  name: "string",
  image: "string",
  command: arr("string"),
  args: arr("string"),
  workingDir: "string",
  env: arr(obj("EnvVar", { name: "string", value: "string", valueFrom: "any" })),
  envFrom: arr("any"),
  ports: arr(obj("ContainerPort", { name: "string", containerPort: "int", hostPort: "int", protocol: "string", hostIP: "string" })),
  resources: obj("ResourceRequirements", { requests: map("quantity"), limits: map("quantity"), claims: "any" }),
  readinessProbe: probe,
  livenessProbe: probe,
  startupProbe: probe,
  lifecycle: "any",
  volumeMounts: arr(obj("VolumeMount", { name: "string", mountPath: "string", readOnly: "bool", subPath: "string", mountPropagation: "string" })),
  imagePullPolicy: "string",
  securityContext: "any",
  terminationMessagePath: "string",
  terminationMessagePolicy: "string",
  stdin: "bool",
  tty: "bool",
});

const podSpec = obj("PodSpec", {
  containers: arr(container),
  initContainers: arr(container),
  volumes: arr(obj("Volume", { name: "string", emptyDir: "any", hostPath: "any", configMap: "any", secret: "any", persistentVolumeClaim: "any", projected: "any", downwardAPI: "any" })),
  nodeName: "string",
  nodeSelector: map("string"),
  affinity: "any",
  tolerations: arr(obj("Toleration", { key: "string", operator: "string", value: "string", effect: "string", tolerationSeconds: "int" })),
  restartPolicy: "string",
  terminationGracePeriodSeconds: "int",
  activeDeadlineSeconds: "int",
  dnsPolicy: "string",
  schedulerName: "string",
  serviceAccountName: "string",
  serviceAccount: "string",
  automountServiceAccountToken: "bool",
  hostNetwork: "bool",
  hostPID: "bool",
  hostIPC: "bool",
  hostname: "string",
  subdomain: "string",
  priority: "int",
  priorityClassName: "string",
  enableServiceLinks: "bool",
  securityContext: "any",
  topologySpreadConstraints: arr("any"),
  imagePullSecrets: arr("any"),
  shareProcessNamespace: "bool",
  readinessGates: arr("any"),
  runtimeClassName: "string",
  preemptionPolicy: "string",
  overhead: map("quantity"),
});

const podTemplate = obj("PodTemplateSpec", { metadata: objectMeta, spec: podSpec });
const top = (goType: string, fields: Record<string, Schema>): Schema => obj(goType, { apiVersion: "string", kind: "string", metadata: objectMeta, ...fields });

export const SCHEMAS: Record<string, Schema> = {
  Pod: top("Pod", { spec: podSpec, status: "any" }),
  Deployment: top("Deployment", {
    spec: obj("DeploymentSpec", {
      replicas: "int",
      selector: labelSelector,
      template: podTemplate,
      strategy: obj("DeploymentStrategy", { type: "string", rollingUpdate: obj("RollingUpdateDeployment", { maxSurge: "intstr", maxUnavailable: "intstr" }) }),
      minReadySeconds: "int",
      revisionHistoryLimit: "int",
      progressDeadlineSeconds: "int",
      paused: "bool",
    }),
    status: "any",
  }),
  ReplicaSet: top("ReplicaSet", { spec: obj("ReplicaSetSpec", { replicas: "int", minReadySeconds: "int", selector: labelSelector, template: podTemplate }), status: "any" }),
  Service: top("Service", {
    spec: obj("ServiceSpec", {
      type: "string",
      selector: map("string"),
      ports: arr(obj("ServicePort", { name: "string", protocol: "string", port: "int", targetPort: "intstr", nodePort: "int", appProtocol: "string" })),
      clusterIP: "string",
      clusterIPs: arr("string"),
      sessionAffinity: "string",
      sessionAffinityConfig: "any",
      externalTrafficPolicy: "string",
      internalTrafficPolicy: "string",
      ipFamilies: arr("string"),
      ipFamilyPolicy: "string",
      externalName: "string",
      externalIPs: arr("string"),
      loadBalancerIP: "string",
      publishNotReadyAddresses: "bool",
    }),
    status: "any",
  }),
  ConfigMap: top("ConfigMap", { data: map("string"), binaryData: map("string"), immutable: "bool" }),
  Secret: top("Secret", { data: map("string"), stringData: map("string"), type: "string", immutable: "bool" }),
  Namespace: top("Namespace", { spec: "any", status: "any" }),
  ServiceAccount: top("ServiceAccount", { secrets: arr("any"), imagePullSecrets: arr("any"), automountServiceAccountToken: "bool" }),
  Node: top("Node", { spec: obj("NodeSpec", { podCIDR: "string", podCIDRs: arr("string"), taints: arr(obj("Taint", { key: "string", value: "string", effect: "string", timeAdded: "any" })), unschedulable: "bool", providerID: "string" }), status: "any" }),
  EndpointSlice: top("EndpointSlice", { addressType: "string", endpoints: arr("any"), ports: arr("any") }),
  Event: top("Event", { involvedObject: "any", reason: "string", message: "string", type: "string", source: "any", firstTimestamp: "any", lastTimestamp: "any", count: "int", reportingComponent: "string", reportingInstance: "string", eventTime: "any", action: "string" }),
};

export interface DecodeProblems {
  unknown: string[];
  typeError?: string;
}

/** Walk a decoded object against its schema: collect unknown fields and the first type error. */
export function checkSchema(kind: string, value: unknown): DecodeProblems {
  const problems: DecodeProblems = { unknown: [] };
  const schema = SCHEMAS[kind];
  if (schema) walk(schema, value, "", kind, problems);
  return problems;
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return "number";
  return typeof v;
}

function walk(s: Schema, v: unknown, path: string, goParent: string, p: DecodeProblems): void {
  if (v === null || v === undefined || s === "any") return;
  const fail = (goType: string) => {
    p.typeError ??= `json: cannot unmarshal ${jsonType(v)} into Go struct field ${goParent}.${path} of type ${goType}`;
  };
  if (s === "string") return void (typeof v !== "string" && fail("string"));
  if (s === "int") return void ((typeof v !== "number" || !Number.isInteger(v)) && fail("int32"));
  if (s === "number") return void (typeof v !== "number" && fail("float64"));
  if (s === "bool") return void (typeof v !== "boolean" && fail("bool"));
  if (s === "intstr") return void (typeof v !== "number" && typeof v !== "string" && fail("intstr.IntOrString"));
  if (s === "quantity") return void (typeof v !== "number" && typeof v !== "string" && fail("resource.Quantity"));
  if ("arr" in s) {
    if (!Array.isArray(v)) return fail("[]" + goName(s.arr));
    v.forEach((item, i) => walk(s.arr, item, `${path}[${i}]`, goParent, p));
    return;
  }
  if ("map" in s) {
    if (typeof v !== "object" || Array.isArray(v)) return fail("map[string]" + goName(s.map));
    for (const [k, item] of Object.entries(v as object)) walk(s.map, item, `${path}.${k}`, goParent, p);
    return;
  }
  if (typeof v !== "object" || Array.isArray(v)) return fail(`v1.${s.goType}`);
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
    const sub = s.obj[k];
    const child = path ? `${path}.${k}` : k;
    if (!sub) p.unknown.push(child);
    else walk(sub, item, child, s.goType, p);
  }
}

function goName(s: Schema): string {
  if (typeof s === "string") return s === "int" ? "int32" : s;
  if ("obj" in s) return `v1.${s.goType}`;
  return "interface {}";
}
