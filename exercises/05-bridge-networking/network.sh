# Exercise 5: three pods on a bridge, one left out.
#
# Four "pods" — network namespaces — must exist:
#   red    10.0.0.2/24
#   green  10.0.0.3/24
#   blue   10.0.0.4/24
#   black  10.0.0.5/24   (has an address, but must reach no one)
#
# Write the `ip` commands, one per line, that:
#   1. create the four namespaces (ip netns add …);
#   2. create a bridge in the host and bring it up;
#   3. give each namespace a veth pair: eth0 inside it, the other end in the host;
#   4. plug the host ends of red, green and blue into the bridge, and bring every end up;
#   5. give each namespace's eth0 its address from the table above;
#   6. give black a veth and its address too, but leave its host end off the bridge.
#
# Run `npm run exercise 5` to check your work (add --hint for a nudge).

ip netns add red
