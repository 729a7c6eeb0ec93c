/// The real ClientHellos captured from eleven TLS clients, as whole handshake messages. The files live in the
/// repository under tests/fixtures/clienthello, found by walking up from the test binaries to the folder holding
/// Tickets.sln rather than through a fixed path.
module Tickets.Properties.ClientHelloFixtures

open System
open System.IO

let private fixtureDirectory: Lazy<string> =
    lazy
        (let rec repositoryRoot (directory: DirectoryInfo | null) =
            match directory with
            | null -> failwith "no Tickets.sln above the test binaries"
            | directory when File.Exists(Path.Combine(directory.FullName, "Tickets.sln")) -> directory
            | directory -> repositoryRoot directory.Parent

         let directory =
             Path.Combine((repositoryRoot (DirectoryInfo AppContext.BaseDirectory)).FullName, "tests", "fixtures", "clienthello")
         if Directory.Exists directory then directory
         else failwithf "no %s: the ClientHello fixtures belong in the repository" directory)

/// Joins the payloads of the handshake records a fixture holds. Written without the codecs on purpose: the inputs
/// of a codec property must not depend on the codec being tested.
let private stripRecordHeaders (name: string) (records: byte[]) : byte[] =
    let rec payloads offset acc =
        if offset = records.Length then
            List.rev acc |> Array.concat
        elif records.Length - offset < 5 || records[offset] <> 22uy then
            failwithf "fixture %s: no handshake record header at offset %d" name offset
        else
            let length = (int records[offset + 3] <<< 8) ||| int records[offset + 4]
            payloads (offset + 5 + length) (records[offset + 5 .. offset + 4 + length] :: acc)
    payloads 0 []

/// Every fixture by name, in name order, record headers already removed.
let all: Lazy<Map<string, byte[]>> =
    lazy
        (Directory.GetFiles(fixtureDirectory.Force(), "*.bin")
         |> Array.map (fun path ->
             let name =
                 match Path.GetFileNameWithoutExtension path with
                 | null -> path
                 | name -> name
             name, stripRecordHeaders name (File.ReadAllBytes path))
         |> Map.ofArray)

let names () : string list = all.Force() |> Map.toList |> List.map fst

/// A fresh copy, so a property may mutate it freely.
let message (name: string) : byte[] = Array.copy (all.Force()[name])
