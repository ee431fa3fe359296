# Exercise 2: namespaces — build a box by hand.
#
# Write the commands that start ONE long-lived process that:
#   1. runs in a new PID namespace, where it is PID 1 (so `ps` inside shows only it:
#      use --mount-proc);
#   2. runs in a new UTS namespace whose hostname is "box";
#   3. keeps running in the background after your script ends;
# and leave the host's own hostname ("node") as it is.
#
# Run `npm run exercise 2` to check your work (add --hint for a nudge).

hostname
