module kubecerts.dev/oracle

go 1.23
