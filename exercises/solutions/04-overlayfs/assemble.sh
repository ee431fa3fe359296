# Exercise 4, a reference solution.

# An empty upper layer and a work directory on the same filesystem, and a mountpoint.
mkdir -p /lab/upper /lab/work /lab/merged

# lowerdir is read left to right and the leftmost layer is on top: layer2 over layer1.
mount -t overlay overlay -o lowerdir=/lab/layer2:/lab/layer1,upperdir=/lab/upper,workdir=/lab/work /lab/merged

# The first write copies etc/hostname up from layer1 into /lab/upper, then changes the copy.
echo box > /lab/merged/etc/hostname

# layer1 cannot change, so the deletion is recorded as a whiteout: /lab/upper/etc/motd, a 0/0 char device.
rm /lab/merged/etc/motd
