module github.com/errorcanon/errorcanon

go 1.26.8

require (
	github.com/petar-dambovaliev/aho-corasick v0.0.0-20250424160509-463d218d4745 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)
