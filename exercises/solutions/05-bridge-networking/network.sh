# Exercise 5, a reference solution: red, green and blue on bridge br0; black wired to nothing.

# The pods' network namespaces, pinned under /run/netns.
ip netns add red
ip netns add green
ip netns add blue
ip netns add black

# The switch, in the host's namespace.
ip link add br0 type bridge
ip link set br0 up

# red: a veth pair, eth0 inside, veth-red on the bridge, an address, everything up.
ip link add veth-red type veth peer name eth0 netns red
ip link set veth-red master br0
ip link set veth-red up
ip -n red addr add 10.0.0.2/24 dev eth0
ip -n red link set eth0 up

ip link add veth-green type veth peer name eth0 netns green
ip link set veth-green master br0
ip link set veth-green up
ip -n green addr add 10.0.0.3/24 dev eth0
ip -n green link set eth0 up

ip link add veth-blue type veth peer name eth0 netns blue
ip link set veth-blue master br0
ip link set veth-blue up
ip -n blue addr add 10.0.0.4/24 dev eth0
ip -n blue link set eth0 up

# black: the same cable, but its host end goes nowhere.
ip link add veth-black type veth peer name eth0 netns black
ip -n black addr add 10.0.0.5/24 dev eth0
ip -n black link set eth0 up
