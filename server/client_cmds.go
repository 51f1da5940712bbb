package server

// Placeholder handlers: replaced by the family's real implementation.

func cmdClientCaching(x *Ctx) { x.Error("ERR cmdClientCaching pending") }

func cmdClientGetname(x *Ctx) { x.Error("ERR cmdClientGetname pending") }

func cmdClientGetredir(x *Ctx) { x.Error("ERR cmdClientGetredir pending") }

func cmdClientHelp(x *Ctx) { x.Error("ERR cmdClientHelp pending") }

func cmdClientId(x *Ctx) { x.Error("ERR cmdClientId pending") }

func cmdClientInfo(x *Ctx) { x.Error("ERR cmdClientInfo pending") }

func cmdClientKill(x *Ctx) { x.Error("ERR cmdClientKill pending") }

func cmdClientList(x *Ctx) { x.Error("ERR cmdClientList pending") }

func cmdClientNoEvict(x *Ctx) { x.Error("ERR cmdClientNoEvict pending") }

func cmdClientPause(x *Ctx) { x.Error("ERR cmdClientPause pending") }

func cmdClientReply(x *Ctx) { x.Error("ERR cmdClientReply pending") }

func cmdClientSetname(x *Ctx) { x.Error("ERR cmdClientSetname pending") }

func cmdClientTracking(x *Ctx) { x.Error("ERR cmdClientTracking pending") }

func cmdClientTrackinginfo(x *Ctx) { x.Error("ERR cmdClientTrackinginfo pending") }

func cmdClientUnblock(x *Ctx) { x.Error("ERR cmdClientUnblock pending") }

func cmdClientUnpause(x *Ctx) { x.Error("ERR cmdClientUnpause pending") }
