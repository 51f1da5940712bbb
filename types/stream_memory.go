package types

import (
	"slices"
	"unsafe"
)

// goAllocClasses are the Go allocator's small object size classes: what
// an allocation of a struct or a slice's backing array really takes.
var goAllocClasses = []int64{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
	288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048,
	2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880,
	12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768}

// goAllocSize is the block the Go allocator hands out for n bytes.
func goAllocSize(n int64) int64 {
	if n <= 0 {
		return 0
	}
	if i, _ := slices.BinarySearch(goAllocClasses, n); i < len(goAllocClasses) {
		return goAllocClasses[i]
	}
	const page = 8192
	return (n + page - 1) / page * page
}

// Sizes of the stream's allocations, rounded up as the allocator does.
var (
	streamHeaderSize   = goAllocSize(int64(unsafe.Sizeof(Stream{})))
	streamNodeSize     = goAllocSize(int64(unsafe.Sizeof(streamNode{})))
	streamGroupSize    = goAllocSize(int64(unsafe.Sizeof(StreamGroup{})))
	streamConsumerSize = goAllocSize(int64(unsafe.Sizeof(StreamConsumer{})))
	pendingEntrySize   = goAllocSize(int64(unsafe.Sizeof(PendingEntry{})))
)

// MemoryUsage estimates the bytes the stream holds, for MEMORY USAGE: the
// stream itself, the node index, every node (its header and its blob,
// deleted entries and spare room included) and the consumer groups with
// their pending entries and consumers.
//
// As Redis does with its listpacks, it looks at the first samples nodes
// only (0: all) and takes their average for the nodes it did not look at,
// but counts the last node as it is: that is the one still growing, with
// its spare room, so it is rarely like the others. Groups are counted in
// full, as Redis counts them; that costs one step per group, consumer and
// PEL chunk, never one per pending entry.
func (s *Stream) MemoryUsage(samples int) int64 {
	total := streamHeaderSize + goAllocSize(int64(cap(s.nodes))*int64(unsafe.Sizeof(s.nodes[0])))
	total += s.nodesMemory(samples)
	if len(s.groups) > 0 {
		total += goAllocSize(int64(cap(s.groups)) * int64(unsafe.Sizeof(s.groups[0])))
		for _, g := range s.groups {
			total += g.memoryUsage()
		}
	}
	return total
}

func nodeMemory(n *streamNode) int64 { return streamNodeSize + goAllocSize(int64(cap(n.blob))) }

// nodesMemory is the nodes' share of MemoryUsage.
func (s *Stream) nodesMemory(samples int) int64 {
	count := len(s.nodes)
	if count == 0 {
		return 0
	}
	if samples <= 0 || samples >= count {
		var sum int64
		for _, n := range s.nodes {
			sum += nodeMemory(n)
		}
		return sum
	}
	var sum int64
	for _, n := range s.nodes[:samples] {
		sum += nodeMemory(n)
	}
	return sum/int64(samples)*int64(count-1) + nodeMemory(s.nodes[count-1])
}

// memoryUsage is a group's share of its stream's MemoryUsage: the group,
// its name, its PEL and the pending entries (which its consumers' PELs
// share, so they are counted here once), and its consumers.
func (g *StreamGroup) memoryUsage() int64 {
	n := streamGroupSize + goAllocSize(int64(len(g.Name)))
	n += g.PEL.memoryUsage() + int64(g.PEL.Len())*pendingEntrySize
	n += goAllocSize(int64(cap(g.consumers)) * int64(unsafe.Sizeof(g.consumers[0])))
	for _, c := range g.consumers {
		n += streamConsumerSize + goAllocSize(int64(len(c.Name))) + c.PEL.memoryUsage()
	}
	return n
}

// memoryUsage is the map's own structure: the chunk index and the chunks'
// arrays of pointers, not the entries they point to.
func (m *PendingMap) memoryUsage() int64 {
	n := goAllocSize(int64(cap(m.chunks)) * int64(unsafe.Sizeof(m.chunks[0])))
	for _, c := range m.chunks {
		n += goAllocSize(int64(cap(c)) * int64(unsafe.Sizeof(c[0])))
	}
	return n
}
