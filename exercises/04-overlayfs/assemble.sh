# Exercise 4: assemble a root filesystem from two image layers with overlayfs.
#
# The lab has two layers, unpacked the way containerd unpacks an image:
#   /lab/layer1   a base layer   (etc/, app/config.txt, usr/bin/hello)
#   /lab/layer2   an app layer   (app/config.txt, app/server.sh)
#
# Write the commands, one per line, that:
#   1. make an upper layer /lab/upper, a work directory /lab/work and a mountpoint /lab/merged;
#   2. mount an overlay at /lab/merged with layer2 ABOVE layer1 and /lab/upper on top;
#   3. override etc/hostname so that it says "box";
#   4. delete etc/motd.
# Never change /lab/layer1 or /lab/layer2 directly: they are a shared image.
#
# Run `npm run exercise 4` to check your work (add --hint for a nudge).

mkdir -p /lab/merged
