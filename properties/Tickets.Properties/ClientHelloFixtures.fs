/// The real ClientHellos captured from eleven TLS clients, as whole handshake messages. The files live in shared/
/// beside the repository (CI) or beside one of its ancestors (a git worktree), so they are found by walking up from
/// the test binaries rather than through a fixed path.
module Tickets.Properties.ClientHelloFixtures

open System
open System.IO

let private sharedDirectory: Lazy<string> =
    lazy
        (let rec repositoryRoot (directory: DirectoryInfo | null) =
            match directory with
            | null -> failwith "no Tickets.sln above the test binaries"
            | directory when File.Exists(Path.Combine(directory.FullName, "Tickets.sln")) -> directory
            | directory -> repositoryRoot directory.Parent

         let rec sharedBeside (directory: DirectoryInfo | null) =
             match directory with
             | null -> failwith "no shared/fixtures/clienthello beside the repository or any folder above it"
             | directory ->
                 let candidate = Path.Combine(directory.FullName, "shared")
                 if Directory.Exists(Path.Combine(candidate, "fixtures", "clienthello")) then candidate
                 else sharedBeside directory.Parent

         sharedBeside (repositoryRoot (DirectoryInfo AppContext.BaseDirectory)).Parent)

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
        (let directory = Path.Combine(sharedDirectory.Force(), "fixtures", "clienthello")
         Directory.GetFiles(directory, "*.bin")
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
