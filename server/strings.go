package server

// Placeholder handlers: replaced by the family's real implementation.

func cmdGet(x *Ctx) { x.Error("ERR cmdGet pending") }

func cmdSet(x *Ctx) { x.Error("ERR cmdSet pending") }

func cmdSetnx(x *Ctx) { x.Error("ERR cmdSetnx pending") }

func cmdSetex(x *Ctx) { x.Error("ERR cmdSetex pending") }

func cmdPsetex(x *Ctx) { x.Error("ERR cmdPsetex pending") }

func cmdMget(x *Ctx) { x.Error("ERR cmdMget pending") }

func cmdMset(x *Ctx) { x.Error("ERR cmdMset pending") }

func cmdMsetnx(x *Ctx) { x.Error("ERR cmdMsetnx pending") }

func cmdGetset(x *Ctx) { x.Error("ERR cmdGetset pending") }

func cmdGetdel(x *Ctx) { x.Error("ERR cmdGetdel pending") }

func cmdGetex(x *Ctx) { x.Error("ERR cmdGetex pending") }

func cmdAppend(x *Ctx) { x.Error("ERR cmdAppend pending") }

func cmdStrlen(x *Ctx) { x.Error("ERR cmdStrlen pending") }

func cmdIncr(x *Ctx) { x.Error("ERR cmdIncr pending") }

func cmdDecr(x *Ctx) { x.Error("ERR cmdDecr pending") }

func cmdIncrby(x *Ctx) { x.Error("ERR cmdIncrby pending") }

func cmdDecrby(x *Ctx) { x.Error("ERR cmdDecrby pending") }

func cmdIncrbyfloat(x *Ctx) { x.Error("ERR cmdIncrbyfloat pending") }

func cmdGetrange(x *Ctx) { x.Error("ERR cmdGetrange pending") }

func cmdSetrange(x *Ctx) { x.Error("ERR cmdSetrange pending") }

func cmdSubstr(x *Ctx) { x.Error("ERR cmdSubstr pending") }

func cmdLcs(x *Ctx) { x.Error("ERR cmdLcs pending") }
