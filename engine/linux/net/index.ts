// The network stack's public face: one import for commands, the lab and widgets.
export { NetStack, tcpdumpLine, ARP_FAIL_MS } from "./stack";
export type { Walk, Capture } from "./stack";
export { netOf, stacksOf, configureNic } from "./registry";
export type { NicConfig } from "./registry";
export { NetDevice, randomMac } from "./link";
export type { IfAddr, LinkKind } from "./link";
export { fmtIp, parseIp, parseCidr, broadcast, network, inPrefix } from "./ipv4";
export { Trace } from "./trace";
export type { TraceStep } from "./trace";
export { makePacket } from "./packet";
export type { Packet, Proto } from "./packet";
export { fmtConn } from "./conntrack";
export type { Conn } from "./conntrack";
