package server

// Placeholder handlers: replaced by the family's real implementation.

func cmdSlowlogGet(x *Ctx) { x.Error("ERR cmdSlowlogGet pending") }

func cmdSlowlogHelp(x *Ctx) { x.Error("ERR cmdSlowlogHelp pending") }

func cmdSlowlogLen(x *Ctx) { x.Error("ERR cmdSlowlogLen pending") }

func cmdSlowlogReset(x *Ctx) { x.Error("ERR cmdSlowlogReset pending") }

func cmdLatencyDoctor(x *Ctx) { x.Error("ERR cmdLatencyDoctor pending") }

func cmdLatencyGraph(x *Ctx) { x.Error("ERR cmdLatencyGraph pending") }

func cmdLatencyHelp(x *Ctx) { x.Error("ERR cmdLatencyHelp pending") }

func cmdLatencyHistogram(x *Ctx) { x.Error("ERR cmdLatencyHistogram pending") }

func cmdLatencyHistory(x *Ctx) { x.Error("ERR cmdLatencyHistory pending") }

func cmdLatencyLatest(x *Ctx) { x.Error("ERR cmdLatencyLatest pending") }

func cmdLatencyReset(x *Ctx) { x.Error("ERR cmdLatencyReset pending") }

func cmdMemoryDoctor(x *Ctx) { x.Error("ERR cmdMemoryDoctor pending") }

func cmdMemoryHelp(x *Ctx) { x.Error("ERR cmdMemoryHelp pending") }

func cmdMemoryMallocStats(x *Ctx) { x.Error("ERR cmdMemoryMallocStats pending") }

func cmdMemoryPurge(x *Ctx) { x.Error("ERR cmdMemoryPurge pending") }

func cmdMemoryStats(x *Ctx) { x.Error("ERR cmdMemoryStats pending") }

func cmdMemoryUsage(x *Ctx) { x.Error("ERR cmdMemoryUsage pending") }
