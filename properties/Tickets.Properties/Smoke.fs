module Tickets.Properties.Smoke
open FsCheck.Xunit
[<Property>]
let ``smoke`` (x: int) = x + 0 = x && Tickets.Core.Model.Placeholder.Two = 2
