package server

// Placeholder handlers: replaced by the family's real implementation.

func cmdConfigGet(x *Ctx) { x.Error("ERR cmdConfigGet pending") }

func cmdConfigHelp(x *Ctx) { x.Error("ERR cmdConfigHelp pending") }

func cmdConfigResetstat(x *Ctx) { x.Error("ERR cmdConfigResetstat pending") }

func cmdConfigRewrite(x *Ctx) { x.Error("ERR cmdConfigRewrite pending") }

func cmdConfigSet(x *Ctx) { x.Error("ERR cmdConfigSet pending") }
