package server

// Placeholder handlers: replaced by the family's real implementation.

func cmdDel(x *Ctx) { x.Error("ERR cmdDel pending") }

func cmdUnlink(x *Ctx) { x.Error("ERR cmdUnlink pending") }

func cmdExists(x *Ctx) { x.Error("ERR cmdExists pending") }

func cmdType(x *Ctx) { x.Error("ERR cmdType pending") }

func cmdRename(x *Ctx) { x.Error("ERR cmdRename pending") }

func cmdRenamenx(x *Ctx) { x.Error("ERR cmdRenamenx pending") }

func cmdCopy(x *Ctx) { x.Error("ERR cmdCopy pending") }

func cmdMove(x *Ctx) { x.Error("ERR cmdMove pending") }

func cmdKeys(x *Ctx) { x.Error("ERR cmdKeys pending") }

func cmdScan(x *Ctx) { x.Error("ERR cmdScan pending") }

func cmdRandomkey(x *Ctx) { x.Error("ERR cmdRandomkey pending") }

func cmdTouch(x *Ctx) { x.Error("ERR cmdTouch pending") }

func cmdExpire(x *Ctx) { x.Error("ERR cmdExpire pending") }

func cmdPexpire(x *Ctx) { x.Error("ERR cmdPexpire pending") }

func cmdExpireat(x *Ctx) { x.Error("ERR cmdExpireat pending") }

func cmdPexpireat(x *Ctx) { x.Error("ERR cmdPexpireat pending") }

func cmdTtl(x *Ctx) { x.Error("ERR cmdTtl pending") }

func cmdPttl(x *Ctx) { x.Error("ERR cmdPttl pending") }

func cmdExpiretime(x *Ctx) { x.Error("ERR cmdExpiretime pending") }

func cmdPexpiretime(x *Ctx) { x.Error("ERR cmdPexpiretime pending") }

func cmdPersist(x *Ctx) { x.Error("ERR cmdPersist pending") }

func cmdObjectEncoding(x *Ctx) { x.Error("ERR cmdObjectEncoding pending") }

func cmdObjectFreq(x *Ctx) { x.Error("ERR cmdObjectFreq pending") }

func cmdObjectHelp(x *Ctx) { x.Error("ERR cmdObjectHelp pending") }

func cmdObjectIdletime(x *Ctx) { x.Error("ERR cmdObjectIdletime pending") }

func cmdObjectRefcount(x *Ctx) { x.Error("ERR cmdObjectRefcount pending") }
