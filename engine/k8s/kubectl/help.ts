// `kubectl get --help` and `kubectl delete --help`, laid out as kubectl prints help (a summary,
// Examples:, Options: with each flag's default and a tab-indented description, Usage:). The
// wording is ours and lists what this simulation's kubectl understands.

interface Flag {
  short?: string;
  name: string;
  value: string;
  text: string;
}

function render(summary: string, examples: [string, string][], flags: Flag[], usage: string): string {
  const ex = examples.map(([what, cmd]) => `  # ${what}\n  ${cmd}`).join("\n\n");
  const opts = flags.map((f) => `    ${f.short ? `-${f.short}, ` : ""}--${f.name}=${f.value}:\n\t${f.text}`).join("\n\n");
  return `${summary}\n\nExamples:\n${ex}\n\nOptions:\n${opts}\n\nUsage:\n  ${usage}\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`;
}

const GET = render(
  "Display one or many resources.\n\n Prints a table of the most important fields of each object. Other output formats print\nthe whole object (-o yaml, -o json), fields picked by a JSONPath template (-o jsonpath=...),\nor columns you name (-o custom-columns=...).",
  [
    ["List the pods of the current namespace as a table", "kubectl get pods"],
    ["Add node and IP columns", "kubectl get pods -o wide"],
    ["One line per pod: its name, a tab, its IP", `kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'`],
    ["Only the Ready condition of one pod", `kubectl get pod web -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`],
    ["Columns of your own", "kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP"],
    ["Oldest pods first", "kubectl get pods --sort-by=.metadata.creationTimestamp"],
    ["Pods by restart count", "kubectl get pods --sort-by='.status.containerStatuses[0].restartCount'"],
  ],
  [
    { short: "A", name: "all-namespaces", value: "false", text: "List the objects of every namespace, with a NAMESPACE column." },
    { name: "allow-missing-template-keys", value: "true", text: "A field a template names but an object lacks prints as nothing. Applies to -o jsonpath." },
    { name: "field-selector", value: "''", text: "Filter on fields, e.g. --field-selector status.phase=Running (=, ==, !=)." },
    { short: "L", name: "label-columns", value: "[]", text: "A column for the value of each label named (-L app,tier)." },
    { name: "no-headers", value: "false", text: "Leave out the header line of tables and custom columns." },
    {
      short: "o",
      name: "output",
      value: "''",
      text: "Output format. One of: (json, yaml, name, wide, jsonpath, jsonpath-as-json, jsonpath-file,\n\tcustom-columns, custom-columns-file).",
    },
    { short: "l", name: "selector", value: "''", text: "Label selector (label query) to filter on, e.g. -l app=web,tier!=db." },
    { name: "show-labels", value: "false", text: "Add a LABELS column." },
    { name: "sort-by", value: "''", text: "Sort by the value a JSONPath finds in each object, e.g. '{.metadata.name}' or .status.podIP.\n\tNumbers sort by value, quantities (100m, 1Gi) by amount, other strings in natural order." },
    { short: "w", name: "watch", value: "false", text: "After listing, print a line for every change to the objects." },
  ],
  "kubectl get [(-o|--output=)json|yaml|name|wide|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file] (TYPE [NAME | -l label] | TYPE/NAME ...) [flags] [options]",
);

const DELETE = render(
  "Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\n A Pod on a node is deleted gracefully: it shows Terminating until its kubelet has stopped the\ncontainers. kubectl waits until every deleted object is gone from the API (--wait=false returns\nat once). --grace-period=0 --force removes the object from the API immediately, without waiting\nfor the kubelet: the containers may keep running on the node.",
  [
    ["Delete a pod and wait until it is gone", "kubectl delete pod web"],
    ["Delete the objects a manifest describes", "kubectl delete -f web.yaml"],
    ["Delete every pod labelled app=web, without waiting", "kubectl delete pods -l app=web --wait=false"],
    ["Remove a pod from the API at once (the node may still run it)", "kubectl delete pod web --grace-period=0 --force"],
  ],
  [
    { name: "all", value: "false", text: "Delete every object of the given type in the namespace." },
    { name: "field-selector", value: "''", text: "Delete only the objects whose fields match, e.g. status.phase=Failed." },
    { short: "f", name: "filename", value: "[]", text: "A manifest of the objects to delete ('-' reads stdin)." },
    { name: "force", value: "false", text: "With --grace-period=0: remove the objects from the API immediately (kubectl warns)." },
    { name: "grace-period", value: "-1", text: "Seconds the pod gets to stop (-1: its own default). 0 means 1 unless --force is given." },
    { name: "now", value: "false", text: "Signal the pods to stop right away (same as --grace-period=1)." },
    { short: "o", name: "output", value: "''", text: "Output mode. Use \"-o name\" for shorter output (resource/name)." },
    { short: "l", name: "selector", value: "''", text: "Label selector of the objects to delete." },
    { name: "timeout", value: "0s", text: "How long to wait for the objects to be gone before giving up (0: a week)." },
    { name: "wait", value: "true", text: "Wait until the objects are gone from the API before returning." },
  ],
  "kubectl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [options]",
);

/** The --help text of VERB, if this kubectl has one. */
export function helpFor(verb: string): string | undefined {
  return { get: GET, delete: DELETE }[verb];
}
