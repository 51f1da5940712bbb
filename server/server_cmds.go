package server

// Placeholder handlers: replaced by the family's real implementation.

func cmdInfo(x *Ctx) { x.Error("ERR cmdInfo pending") }

func cmdTime(x *Ctx) { x.Error("ERR cmdTime pending") }

func cmdLastsave(x *Ctx) { x.Error("ERR cmdLastsave pending") }

func cmdDbsize(x *Ctx) { x.Error("ERR cmdDbsize pending") }

func cmdMonitor(x *Ctx) { x.Error("ERR cmdMonitor pending") }

func cmdSwapdb(x *Ctx) { x.Error("ERR cmdSwapdb pending") }

func cmdFlushdb(x *Ctx) { x.Error("ERR cmdFlushdb pending") }

func cmdFlushall(x *Ctx) { x.Error("ERR cmdFlushall pending") }

func cmdShutdown(x *Ctx) { x.Error("ERR cmdShutdown pending") }

func cmdDebug(x *Ctx) { x.Error("ERR cmdDebug pending") }
