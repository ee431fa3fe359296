// The built-in registry: a few small images whose layers share a base, so pulling a second
// image downloads and stores only what differs.
import type { Image, LayerEntry } from "./image";
import { image, layer } from "./image";

const bin = (program: string, size: number): LayerEntry => ({ kind: "file", content: `\x7fELF ${program}\n`, mode: 0o755, program, size });
const text = (content: string, mode = 0o644): LayerEntry => ({ kind: "file", content, mode });
const dir = (mode = 0o755): LayerEntry => ({ kind: "dir", mode });

const CORE_TOOLS = ["sh", "bash", "ls", "cat", "echo", "ps", "sleep", "hostname", "mkdir", "rm", "touch", "id", "env", "grep", "head", "tail", "wc", "mount", "umount", "uname", "readlink", "true", "false", "kill", "stat"];

/** Debian bookworm-slim's root filesystem, trimmed to what the course touches. */
const debianBase = layer("# debian.sh --arch 'amd64' out/ 'bookworm' '@1731888000'", {
  "/bin": { kind: "symlink", target: "usr/bin" },
  "/sbin": { kind: "symlink", target: "usr/sbin" },
  "/lib": { kind: "symlink", target: "usr/lib" },
  "/usr/bin": dir(),
  "/usr/sbin": dir(),
  "/usr/lib": dir(),
  ...Object.fromEntries(CORE_TOOLS.map((t) => [`/usr/bin/${t}`, bin(t, t === "bash" ? 1_265_648 : 140_000)])),
  "/usr/lib/x86_64-linux-gnu/libc.so.6": { kind: "file", content: "\x7fELF libc\n", mode: 0o755, size: 1_922_136 },
  "/etc": dir(),
  "/etc/os-release": text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'),
  "/etc/passwd": text("root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"),
  "/etc/group": text("root:x:0:\nnogroup:x:65534:\n"),
  "/etc/hostname": text("localhost\n"),
  "/root": dir(0o700),
  "/tmp": dir(0o1777),
  "/var": dir(),
  "/var/log": dir(),
  "/proc": dir(0o555),
  "/sys": dir(0o555),
  "/dev": dir(),
  "/run": dir(),
  "/home": dir(),
});

const nginxLayer = layer("RUN /bin/sh -c set -x && apt-get update && apt-get install -y nginx # buildkit", {
  "/usr/sbin/nginx": bin("nginx", 1_393_784),
  "/usr/bin/curl": bin("curl", 277_872),
  "/etc/nginx": dir(),
  "/etc/nginx/nginx.conf": text("user nginx;\nworker_processes auto;\nevents { worker_connections 1024; }\nhttp { server { listen 80; root /usr/share/nginx/html; } }\n"),
  "/usr/share/nginx/html": dir(),
  "/usr/share/nginx/html/index.html": text("<!DOCTYPE html>\n<title>Welcome to nginx!</title>\n<h1>Welcome to nginx!</h1>\n"),
  "/var/log/nginx": dir(),
  "/var/cache/nginx": dir(),
});

const pythonLayer = layer("RUN /bin/sh -c set -eux; ./configure --enable-optimizations; make install # buildkit", {
  "/usr/local/bin": dir(),
  "/usr/local/bin/python3": bin("python3", 6_832_400),
  "/usr/local/lib/python3.12": dir(),
  "/usr/local/lib/python3.12/http": dir(),
  "/usr/local/lib/python3.12/http/server.py": text("# http.server: a simple HTTP server\n"),
});

const appLayer = layer("COPY app.py /app/app.py # buildkit", {
  "/app": dir(),
  "/app/app.py": text('from http.server import HTTPServer, SimpleHTTPRequestHandler\nHTTPServer(("", 8080), SimpleHTTPRequestHandler).serve_forever()\n'),
  "/app/index.html": text("<h1>hello from the demo app</h1>\n"),
});

const busyboxLayer = layer("ADD busybox.tar.xz / # buildkit", {
  "/bin": dir(),
  "/bin/busybox": { kind: "file", content: "\x7fELF busybox\n", mode: 0o755, program: "busybox", size: 1_131_168 },
  ...Object.fromEntries(CORE_TOOLS.filter((t) => t !== "bash").map((t) => [`/bin/${t}`, { kind: "symlink", target: "busybox" } as LayerEntry])),
  "/etc": dir(),
  "/etc/passwd": text("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
  "/etc/group": text("root:x:0:\nnogroup:x:65534:\n"),
  "/root": dir(0o700),
  "/tmp": dir(0o1777),
  "/proc": dir(0o555),
  "/sys": dir(0o555),
  "/dev": dir(),
  "/var": dir(),
});

/** The course's demo app (webapp): /healthz and /ready from files under /tmp, optional slow start. */
const kjlAppLayer = layer("COPY webapp /usr/local/bin/webapp # buildkit", {
  "/usr/local/bin": dir(),
  "/usr/local/bin/webapp": bin("webapp", 7_340_032),
});

/** The pod sandbox: a process that only holds the pod's namespaces open. */
const pauseLayer = layer("ADD pause /pause # buildkit", {
  "/pause": { kind: "file", content: "\x7fELF pause\n", mode: 0o755, program: "pause", size: 514_000 },
  "/proc": dir(0o555),
  "/sys": dir(0o555),
  "/dev": dir(),
  "/etc": dir(),
});

/** CoreDNS's image is distroless: one static binary and CA certificates. */
const corednsLayer = layer("COPY coredns /coredns # buildkit", {
  "/coredns": { kind: "file", content: "\x7fELF coredns\n", mode: 0o755, program: "coredns", size: 52_662_426 },
  "/etc": dir(),
  "/etc/ssl": dir(),
  "/etc/ssl/certs": dir(),
  "/etc/ssl/certs/ca-certificates.crt": text("-----BEGIN CERTIFICATE-----\n(the Debian CA bundle)\n-----END CERTIFICATE-----\n"),
});

/** The image Kubernetes' DNS debugging guide runs (dnsutils.yaml): nslookup, dig and getent. */
const dnsutilsLayer = layer("RUN /bin/sh -c apt-get update && apt-get install -y dnsutils # buildkit", {
  "/usr/bin/nslookup": bin("nslookup", 140_208),
  "/usr/bin/dig": bin("dig", 158_672),
  "/usr/bin/getent": bin("getent", 35_352),
});

const ENV_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export const IMAGES: Image[] = [
  image("registry.k8s.io/pause:3.10", [pauseLayer], { Entrypoint: ["/pause"], Cmd: null, Env: [ENV_PATH], WorkingDir: "/" }),
  image("docker.io/library/busybox:1.36", [busyboxLayer], { Entrypoint: null, Cmd: ["sh"], Env: [ENV_PATH], WorkingDir: "/" }),
  image("docker.io/library/debian:bookworm-slim", [debianBase], { Entrypoint: null, Cmd: ["bash"], Env: [ENV_PATH], WorkingDir: "/" }),
  image("docker.io/library/nginx:1.27", [debianBase, nginxLayer], { Entrypoint: null, Cmd: ["nginx", "-g", "daemon off;"], Env: [ENV_PATH, "NGINX_VERSION=1.27.3"], WorkingDir: "/", ExposedPorts: ["80/tcp"] }),
  // A second nginx release, so a Deployment has a real image to roll out to.
  image("docker.io/library/nginx:1.28", [debianBase, nginxLayer], { Entrypoint: null, Cmd: ["nginx", "-g", "daemon off;"], Env: [ENV_PATH, "NGINX_VERSION=1.28.0"], WorkingDir: "/", ExposedPorts: ["80/tcp"] }),
  image("docker.io/library/python:3.12-slim", [debianBase, pythonLayer], { Entrypoint: null, Cmd: ["python3"], Env: [ENV_PATH, "PYTHON_VERSION=3.12.8"], WorkingDir: "/" }),
  image("registry.k8s.io/coredns/coredns:v1.11.3", [corednsLayer], { Entrypoint: ["/coredns"], Cmd: null, Env: [ENV_PATH], WorkingDir: "/", ExposedPorts: ["53/tcp", "53/udp"] }),
  image("registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3", [debianBase, dnsutilsLayer], { Entrypoint: null, Cmd: ["bash"], Env: [ENV_PATH], WorkingDir: "/" }),
  image("registry.local/demo/web:1.0", [debianBase, pythonLayer, appLayer], { Entrypoint: ["python3"], Cmd: ["-m", "http.server", "8080", "--directory", "/app"], Env: [ENV_PATH], WorkingDir: "/app", ExposedPorts: ["8080/tcp"] }),
  image("docker.io/kjl/app:1.0", [busyboxLayer, kjlAppLayer], { Entrypoint: ["/usr/local/bin/webapp"], Cmd: null, Env: [ENV_PATH, "PORT=8080"], WorkingDir: "/", ExposedPorts: ["8080/tcp"] }),
];

/** Look up a reference; ":latest" resolves to the newest tag the registry has for that repository. */
export function findImage(ref: string): Image | undefined {
  const exact = IMAGES.find((i) => i.ref === ref);
  if (exact || !ref.endsWith(":latest")) return exact;
  const repo = ref.slice(0, -":latest".length);
  const found = IMAGES.filter((i) => i.ref.startsWith(`${repo}:`)).at(-1);
  return found ? { ...found, ref } : undefined;
}
