// Kept for old imports: the network stack lives in ./net/ (one concept a file).
export * from "./net/index";
