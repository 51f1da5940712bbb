package server

// Placeholder handlers: replaced by the family's real implementation.

func cmdCommandCount(x *Ctx) { x.Error("ERR cmdCommandCount pending") }

func cmdCommandDocs(x *Ctx) { x.Error("ERR cmdCommandDocs pending") }

func cmdCommandGetkeys(x *Ctx) { x.Error("ERR cmdCommandGetkeys pending") }

func cmdCommandGetkeysandflags(x *Ctx) { x.Error("ERR cmdCommandGetkeysandflags pending") }

func cmdCommandHelp(x *Ctx) { x.Error("ERR cmdCommandHelp pending") }

func cmdCommandInfo(x *Ctx) { x.Error("ERR cmdCommandInfo pending") }

func cmdCommandList(x *Ctx) { x.Error("ERR cmdCommandList pending") }
